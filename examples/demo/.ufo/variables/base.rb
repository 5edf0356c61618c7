# Variables shared by every task definition; .ufo/variables/<UFO_ENV>.rb can override them.
# More info: http://ufoships.com/docs/variables/
@image = helper.full_image_name # the Docker image with its git sha tag, e.g. tongueroo/demo:ufo-[sha]
@environment = helper.env_file(".env")
@secrets = helper.secrets_file(".secrets")
@cpu = 256
@memory = 512
@memory_reservation = 512
