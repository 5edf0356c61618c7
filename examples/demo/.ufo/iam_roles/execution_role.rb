# The execution role is what ECS itself uses to start the task: pull the image from ECR, write the
# awslogs stream, and fetch the secrets listed in the task definition. UFO builds it from this file
# as the ExecutionRole resource and sets the task definition's executionRoleArn to it.
#
# Short names become arn:aws:iam::aws:policy/<name>; keep the path of policies that have one.
managed_iam_policy("AmazonSSMReadOnlyAccess")
managed_iam_policy("SecretsManagerReadWrite")
managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")
