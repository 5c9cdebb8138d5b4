"""The annotations at the root of every pack's subject schema lead to fields of that schema:
`x-applicant` (where a document names who it is about: name, credit_code, application_id, each a
list of dotted paths to text) is declared by every subject schema, and every `x-sheet` column is a
field headed by its own zh and en label. A path that names nothing would leave the ledger, the
reports and the desk silent; a template column without a label could not be read back.
  annotations.py SOURCE_DIR   prints "ok N" (N paths checked) or what is wrong, one per line."""
import glob
import json
import os
import re
import sys

src = sys.argv[1]
bad, count = [], 0
files = {}


def load(path):
    path = os.path.normpath(path)
    if path not in files:
        files[path] = json.load(open(path, encoding='utf-8'))
    return files[path]


def resolve(node, file):
    """Follows $ref (to '#/…' or 'other.schema.json#/…') to the schema object it names."""
    for _ in range(20):
        ref = node.get('$ref') if isinstance(node, dict) else None
        if not isinstance(ref, str):
            return node, file
        target, _, pointer = ref.partition('#')
        if target:
            file = os.path.normpath(os.path.join(os.path.dirname(file), target))
        node = load(file)
        for step in filter(None, pointer.split('/')):
            node = node[step]
    return node, file


def field(schema, file, path):
    """The schema of a dotted path (`transactions[].id`), or None."""
    node, file = resolve(schema, file)
    for step in path.split('.'):
        listed = step.endswith('[]')
        node = (node.get('properties') or {}).get(step[:-2] if listed else step)
        if node is None:
            return None
        node, file = resolve(node, file)
        if listed:
            node, file = resolve(node.get('items') or {}, file)
    return node


for pack in sorted(glob.glob(os.path.join(src, 'rules', '*', 'pack.yaml'))):
    subject = re.search(r'^subject: *(\S+)', open(pack, encoding='utf-8').read(), re.M)
    if not subject:
        continue
    file = os.path.normpath(os.path.join(os.path.dirname(pack), subject.group(1)))
    schema, name = load(file), os.path.basename(file)
    declared = schema.get('x-applicant')
    if not isinstance(declared, dict):
        bad.append(f'{name}: no x-applicant (say where the applicant is named, or that nothing is)')
        declared = {}
    for key in ('name', 'credit_code', 'application_id'):
        if not isinstance(declared.get(key, []), list):
            bad.append(f'{name}: x-applicant.{key} is not a list of paths')
            continue
        for path in declared.get(key, []):
            count += 1
            node = field(schema, file, path)
            if node is None or '[]' in path:
                bad.append(f'{name}: x-applicant.{key} {path} is no field of the schema (nor may it be in a list)')
            elif node.get('type') != 'string':
                bad.append(f'{name}: x-applicant.{key} {path} is not text')
    headers = {'zh': [], 'en': []}
    for path in (schema.get('x-sheet') or {}).get('columns', []):
        count += 1
        node = field(schema, file, path)
        if node is None:
            bad.append(f'{name}: x-sheet column {path} is no field of the schema')
            continue
        for lang in headers:
            label = (node.get('x-label') or {}).get(lang)
            if not label:
                bad.append(f'{name}: x-sheet column {path} has no {lang} label to head it')
            elif label in headers[lang]:
                bad.append(f'{name}: x-sheet column {path} is headed {label}, as another column is')
            headers[lang].append(label)
print('\n'.join(bad) if bad else f'ok {count}')
