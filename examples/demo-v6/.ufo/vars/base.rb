# Variables for .ufo/resources/task_definitions/web.yml; .ufo/vars/<UFO_ENV>.rb can override them.
# More info: https://ufoships.com/docs/layering/vars/ and https://ufoships.com/docs/helpers/

@family = family # the task definition name, e.g. demo-web-dev
@name = role     # the UFO_ROLE: web, worker, clock
@image = docker_image # the Docker image with its git sha tag
@environment = env_file(".env")
@secrets = secrets_file(".secrets")
@cpu = 256
@memory = 256
@memory_reservation = 256

@awslogs_group = expansion("ecs/:APP-:ENV-:EXTRA")
@awslogs_stream_prefix = role
@awslogs_region = aws_region

@container_port = dockerfile_port # read from the Dockerfile's EXPOSE
