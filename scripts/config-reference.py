#!/usr/bin/env python3
# Writes docs/configuration.md from the declarations:
#   build/bin/camera-service --print-declarations \
#     --define plugins.enabled=auth,metrics,storage,cameras,snapshots,recording,mediamtx,console,mqtt \
#     | scripts/config-reference.py > docs/configuration.md
# core_config_test checks the page (and etc/camera-service.properties) against the declarations.
import json
import sys

TITLES = {'core': 'Core (server, state, plugins, logging)'}
HEADER = '''# Configuration reference

Every key the service reads, as the core and each plugin declare it (`camera-service --print-declarations`
prints the same as JSON; `scripts/config-reference.py` writes this page from it; `core_config_test` fails when
this page, `etc/camera-service.properties` or another key table disagrees with the declarations). A value
outside its type or bounds stops the start with exit 78 (README "Configuration"). **live**: a reload (SIGHUP,
`systemctl reload camera-service`) applies it without a restart; the others are logged as needing one. A key
ending in `.<…>` is a family: the plugin reads the keys under it itself.
'''


def number(x):
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else str(x)


def kind(k):
    parts = []
    lo, hi = k.get('minimum'), k.get('maximum')
    if lo is not None and hi is not None:
        parts.append(number(lo) + '–' + number(hi))
    elif lo is not None:
        parts.append('≥ ' + number(lo))
    elif hi is not None:
        parts.append('≤ ' + number(hi))
    if 'choices' in k:
        parts.append(' \\| '.join(k['choices']))
    if 'maxLength' in k:
        parts.append('≤ %d chars' % k['maxLength'])
    return k['type'] + (' ' + ', '.join(parts) if parts else '')


def cell(text):
    return text.replace('|', '\\|')


def main():
    keys = json.load(sys.stdin)
    owners = []
    for k in keys:
        if k['owner'] not in owners:
            owners.append(k['owner'])
    out = [HEADER]
    for owner in owners:
        out += ['## ' + TITLES.get(owner, owner), '', '| key | default | live | type | what |', '|---|---|---|---|---|']
        for k in keys:
            if k['owner'] != owner:
                continue
            name = k['name'] + ('.<…>' if k['prefix'] else '')
            default = 'empty' if k['default'] == '' else '`' + cell(k['default']) + '`'
            what = cell(k['summary']) + (' (secret: masked)' if k['secret'] else '')
            out.append('| `%s` | %s | %s | %s | %s |' % (name, default, 'yes' if k['reloadable'] else '', kind(k), what))
        out.append('')
    sys.stdout.write('\n'.join(out))


main()
