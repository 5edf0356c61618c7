# The task role is what the app in the container may call. UFO builds it as the TaskRole resource.
# More info: https://ufoships.com/docs/intro/iam/task/

# For `ufo exec`, which runs `aws ecs execute-command` (ECS Exec).
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

# Managed policies go in as names:
# managed_iam_policy("AmazonSSMReadOnlyAccess")
