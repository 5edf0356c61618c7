# UFO v6 project settings. More info: https://ufoships.com/docs/config/
Ufo.configure do |config|
  config.logger.level = "info"
  config.app = "demo" # UFO_APP, when set, wins over this
  config.docker.repo = "tongueroo/demo"
  # config.ecs.cluster = ":ENV" # :ENV becomes UFO_ENV (dev by default)
  # config.ecs.default_execute_command = "/bin/sh" # for `ufo exec` when the image has no bash
end
