# The task role is what the app in the container may call. UFO builds it from this file as the
# TaskRole resource and sets the task definition's taskRoleArn to it.

# One statement, written as keyword arguments.
iam_policy("CloudwatchWrite",
  Action: ["cloudwatch:PutMetricData"],
  Effect: "Allow",
  Resource: "*"
)

# Lets ECS Exec (`aws ecs execute-command`) open a shell in the running container.
iam_policy("EcsExecuteCommand",
  Action: [
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
  ],
  Effect: "Allow",
  Resource: "*",
)

# Several statements in one policy: pass an array of hashes. Object actions take object ARNs and
# bucket actions take the bucket ARN, so reading a bucket is two statements.
iam_policy("S3ReadUploads", [
  {
    Sid: "ReadObjects",
    Action: ["s3:GetObject"],
    Effect: "Allow",
    Resource: "arn:aws:s3:::demo-uploads/*",
  },
  {
    Sid: "ListBucket",
    Action: ["s3:ListBucket"],
    Effect: "Allow",
    Resource: "arn:aws:s3:::demo-uploads",
  },
])
