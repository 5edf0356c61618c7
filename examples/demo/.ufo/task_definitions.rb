# Each task_definition block renders a template from .ufo/templates with the variables below, on top of
# the shared ones in .ufo/variables. More info: http://ufoships.com/docs/task-definitions/
task_definition "demo-web" do
  source "main" # renders .ufo/templates/main.json.erb
  variables(
    family: task_definition_name,
    name: "web",
    container_port: helper.dockerfile_port,
    awslogs_group: ["ecs/demo-web", Ufo.env_extra].compact.join('-'),
    awslogs_stream_prefix: "demo",
    awslogs_region: helper.current_region,
    # command: ["bin/web"]
  )
end

task_definition "demo-worker" do
  source "main"
  variables(
    family: task_definition_name,
    name: "worker",
    # container_port: helper.dockerfile_port # a worker does not listen on a port
    awslogs_group: ["ecs/demo-worker", Ufo.env_extra].compact.join('-'),
    awslogs_stream_prefix: "demo",
    awslogs_region: helper.current_region,
    command: ["bin/worker"]
  )
end

task_definition "demo-clock" do
  source "main"
  variables(
    family: task_definition_name,
    name: "clock",
    awslogs_group: ["ecs/demo-clock", Ufo.env_extra].compact.join('-'),
    awslogs_stream_prefix: "demo",
    awslogs_region: helper.current_region,
    command: ["bin/clock"]
  )
end
