#!/usr/bin/env python3
"""Check that the front-end accepts the real-world schemas in ../shared.

    check-shared-schemas.py [--srcdir DIR] [--shared DIR]

../shared sits next to the source tree ($abs_top_srcdir/../shared; env
QAPIC_SHARED overrides).  Where it is absent, the test is skipped (exit
77).  Checked:

- QEMU's whole schema, qemu-schema/qapi-schema.json;
- the seed schemas seeds/schema/{vfio,misc,virtio}.json together: misc.json
  includes common.json, which is not among the seeds, and uses names
  that QEMU only permits through its pragmas, so they are copied into a
  temporary directory with the project's schema/common.json and
  schema/pragma.json, and checked through a top file that includes
  pragma.json and the three seeds;
- vfio.json and virtio.json each on its own.
"""

import argparse
import os
import shutil
import sys
import tempfile
import traceback
from typing import Any, List, Tuple

SEEDS = ('vfio.json', 'misc.json', 'virtio.json')


def check(schema_cls: Any, error_cls: Any, label: str, path: str) -> bool:
    try:
        schema = schema_cls(path)
    except error_cls as err:
        print('not ok - %s: rejected\n%s' % (label, err))
        return False
    except Exception:
        print('not ok - %s: crashed\n%s' % (label, traceback.format_exc()))
        return False
    print('ok - %s (%d entities, %d files)'
          % (label, len(schema.entities), len(schema.files)))
    return True


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--srcdir', default=os.environ.get(
        'abs_top_srcdir', os.environ.get('srcdir', '.')))
    ap.add_argument('--shared', default=os.environ.get('QAPIC_SHARED'))
    args = ap.parse_args()
    srcdir = os.path.abspath(args.srcdir)
    shared = args.shared or os.path.join(os.path.dirname(srcdir), 'shared')
    if not os.path.isdir(shared):
        print('SKIP: %s does not exist' % shared)
        return 77
    sys.path.insert(0, os.path.join(srcdir, 'generator'))
    from qapic.frontend.schema import Schema
    from qapic.frontend.source import QAPIError

    seed_dir = os.path.join(shared, 'seeds', 'schema')
    cases: List[Tuple[str, str]] = [
        ('qemu-schema/qapi-schema.json',
         os.path.join(shared, 'qemu-schema', 'qapi-schema.json'))]
    passed = failed = 0
    tmpdir = tempfile.mkdtemp(prefix='qapic-shared-')
    try:
        for name in SEEDS:
            shutil.copy(os.path.join(seed_dir, name), tmpdir)
        for name in ('common.json', 'pragma.json'):
            shutil.copy(os.path.join(srcdir, 'schema', name), tmpdir)
        top = os.path.join(tmpdir, 'seeds-top.json')
        with open(top, 'w') as f:
            f.write('# The three seed schemas with the project\'s pragmas.\n')
            for name in ('pragma.json',) + SEEDS:
                f.write("{ 'include': '%s' }\n" % name)
        cases.append(('seeds/schema/{%s} with schema/pragma.json and '
                      'schema/common.json' % ','.join(SEEDS), top))
        for name in ('vfio.json', 'virtio.json'):
            cases.append(('seeds/schema/' + name, os.path.join(seed_dir, name)))
        for label, path in cases:
            if not os.path.isfile(path):
                print('not ok - %s: %s does not exist' % (label, path))
                failed += 1
            elif check(Schema, QAPIError, label, path):
                passed += 1
            else:
                failed += 1
    except OSError as err:
        print('not ok - setting up the seed schemas: %s' % err)
        failed += 1
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
