#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Extract each channel's payload schema from an AsyncAPI 2.x document.

Writes one JSON object to stdout for the comparison validators in bench/:

  {"channels": {"workflow.started": "WorkflowStatusEvent", ...},
   "schemas": {"WorkflowStatusEvent": {draft-07 schema}, ...}}

"channels" maps each channel to the name of its message. "schemas" has one
self-contained draft-07 schema per message: the payload schema, with every
schema of components.schemas copied under "definitions". Each
"#/components/schemas/NAME" reference becomes "#/definitions/NAME", so
nested and recursive references still resolve.

Reads YAML with python3-yaml (Debian package) or JSON.
"""

import json
import sys

COMPONENT_SCHEMAS = "#/components/schemas/"


def load(path):
    """Return the document in path, YAML or JSON."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".json"):
        return json.loads(text)
    import yaml
    return yaml.safe_load(text)


def resolve(doc, node):
    """Follow a local "$ref" in node to the object it names."""
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise ValueError("only local references are supported, got %r"
                             % ref)
        target = doc
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            target = target[part]
        node = target
    return node


def rewrite_refs(node):
    """Return a copy of node with component references made local."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if (key == "$ref" and isinstance(value, str)
                    and value.startswith(COMPONENT_SCHEMAS)):
                value = "#/definitions/" + value[len(COMPONENT_SCHEMAS):]
            else:
                value = rewrite_refs(value)
            out[key] = value
        return out
    if isinstance(node, list):
        return [rewrite_refs(v) for v in node]
    return node


def message_name(doc, channel, operation):
    """Return the message's name: its components key when it is a $ref."""
    message = operation["message"]
    if isinstance(message, dict) and "$ref" in message:
        return message["$ref"].rsplit("/", 1)[-1]
    return message.get("name") or channel


def extract(doc):
    definitions = rewrite_refs(
        doc.get("components", {}).get("schemas", {}))
    channels = {}
    schemas = {}
    for channel, item in doc.get("channels", {}).items():
        operation = item.get("subscribe") or item.get("publish")
        if not operation or "message" not in operation:
            continue
        name = message_name(doc, channel, operation)
        payload = resolve(doc, operation["message"]).get("payload")
        if payload is None:
            continue
        channels[channel] = name
        # The referenced schema itself, not {"$ref": ...}, because draft-07
        # ignores the members beside "$ref", "definitions" included.
        schema = rewrite_refs(resolve(doc, payload))
        if definitions:
            schema = dict(schema)
            schema["definitions"] = definitions
        schemas[name] = schema
    return {"channels": channels, "schemas": schemas}


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: asyncapi_schemas.py ASYNCAPI_FILE\n")
        return 2
    json.dump(extract(load(argv[1])), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
