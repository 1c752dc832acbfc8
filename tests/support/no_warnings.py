"""Run a command, pass its output through, and fail when Ansible or molecule printed a warning or a deprecation.

    python tests/support/no_warnings.py molecule test -s default

Ansible reports problems it does not fail on as `[WARNING]: ...` and `[DEPRECATION WARNING]: ...` (and Python's
own `DeprecationWarning` can reach the output of a plugin); molecule logs its own as `WARNING  ...` (in colour).
On this project each one is a defect, so a run that prints one fails, listing them at the end. The command's own exit status wins when it failed.
"""

from __future__ import annotations

import re
import subprocess
import sys

WARNING = re.compile(r"\[(?:DEPRECATION )?WARNING\]|\bDeprecationWarning\b|^\s*WARNING\s")
COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def warnings_in(lines):
    plain = (COLOUR.sub("", line).rstrip("\n") for line in lines)
    return [line for line in plain if WARNING.search(line)]


def main(argv):
    if not argv:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    seen = []
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          errors="replace", bufsize=1) as proc:
        for line in proc.stdout:
            sys.stdout.write(line)
            seen.extend(warnings_in([line]))
    if proc.returncode:
        return proc.returncode
    if seen:
        print("\n%d warning(s) or deprecation(s) in `%s` (each is a defect here):" % (
            len(seen), " ".join(argv)), file=sys.stderr)
        for line in seen:
            print("  " + line, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
