# The execution role is what ECS itself uses to start the task: pull the image, write the awslogs
# stream, and fetch the secrets the task definition lists. UFO builds it as the ExecutionRole resource.
# More info: https://ufoships.com/docs/intro/iam/task/

# Secrets from SSM Parameter Store and Secrets Manager (see `secrets_file` in .ufo/vars/base.rb).
iam_policy("SsmParameterStore",
  Action: ["ssm:GetParameters"],
  Effect: "Allow",
  Resource: "*"
)
iam_policy("SecretsManager",
  Action: ["secretsmanager:GetSecretValue"],
  Effect: "Allow",
  Resource: "*"
)

managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")
