"""Every choice of every pack's subject schema (and the files it refers to) is named in both
languages: `x-enum-labels` beside each `enum`, zh and en for each value, and no label for a value
the enum lacks. The desk's form and the reports show these names, never the value.
  enum_labels.py SOURCE_DIR   prints "ok N" (N enums checked) or what is unlabelled, one per line."""
import glob
import json
import os
import re
import sys

src = sys.argv[1]
todo = []
for pack in glob.glob(os.path.join(src, 'rules', '*', 'pack.yaml')):
    subject = re.search(r'^subject: *(\S+)', open(pack, encoding='utf-8').read(), re.M)
    if subject:
        todo.append(os.path.join(os.path.dirname(pack), subject.group(1)))
seen, bad, count = set(), [], 0


def walk(node, file, at):
    global count
    if isinstance(node, dict):
        ref = node.get('$ref')
        if isinstance(ref, str) and not ref.startswith('#'):
            todo.append(os.path.join(os.path.dirname(file), ref.split('#')[0]))
        if 'enum' in node:
            count += 1
            names = node.get('x-enum-labels', {})
            for v in node['enum']:
                if not (names.get(v, {}).get('zh') and names.get(v, {}).get('en')):
                    bad.append(f'{os.path.basename(file)} {at}: {v} has no zh and en label')
            bad.extend(f'{os.path.basename(file)} {at}: label for {k}, no value of the enum' for k in names if k not in node['enum'])
        for k, v in node.items():
            walk(v, file, at + '/' + k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            walk(v, file, f'{at}/{i}')


while todo:
    f = os.path.normpath(todo.pop())
    if f not in seen:
        seen.add(f)
        walk(json.load(open(f, encoding='utf-8')), f, '#')
print('\n'.join(bad) if bad else f'ok {count}')
