"""Run by Label Studio's own Python (its venv): check every annotation of a task file
against a labeling config with Label Studio's LabelInterface, the validator its server
applies to predictions. Prints a JSON list of the problems it found (none: [])."""

import json
import sys

from label_studio_sdk.label_interface import LabelInterface

with open(sys.argv[1]) as config_file, open(sys.argv[2]) as tasks_file:
    config, tasks = config_file.read(), json.load(tasks_file)
interface = LabelInterface(config)
problems = []
for number, task in enumerate(tasks):
    for annotation in task.get("annotations", []):
        for error in interface.validate_prediction(annotation, return_errors=True):
            problems.append(f"task {number}: {error}")
print(json.dumps(problems[:50]))
