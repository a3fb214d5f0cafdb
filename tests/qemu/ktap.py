"""Reading a KTAP report (the kernel's in-kernel tests, `test` on the
command line) off COM1: whether it is complete, and what failed."""
import re

# KTAP

KTAP_RESULT = re.compile(r"^(not ok|ok) (\d+)\b(?: -)? ?([^#]*?)\s*(?:#\s*(.*))?$")


def check_ktap(serial, complete_only=False):
    """Returns (done, problems, summary). done: the report is complete."""
    lines = serial.split("\n")
    start = next((i for i, l in enumerate(lines) if l.strip() == "KTAP version 1"), None)
    if start is None:
        return False, ["no 'KTAP version 1' line on COM1"], ""
    plan, results, problems = None, [], []
    for line in lines[start + 1:]:
        if line.startswith((" ", "\t")):
            continue  # subtests: their parent's line carries the result
        if line.startswith("Bail out!"):
            problems.append("KTAP: " + line)
        m = re.match(r"^1\.\.(\d+)\s*$", line)
        if m and plan is None:
            plan = int(m.group(1))
            continue
        m = KTAP_RESULT.match(line)
        if m:
            results.append((m.group(1) == "ok", int(m.group(2)), m.group(3), m.group(4) or ""))
    if complete_only:
        return plan is not None and len(results) >= plan, [], ""
    if plan is None:
        problems.append("KTAP: no plan line '1..N'")
    elif plan == 0:
        problems.append("KTAP: plan 1..0: no test ran")
    elif len(results) != plan:
        problems.append(f"KTAP: plan 1..{plan} but {len(results)} results")
    for i, (_, number, name, _) in enumerate(results, 1):
        if number != i:
            problems.append(f"KTAP: result {i} is numbered {number} ({name})")
            break
    failed = [f"{n} {name}" for ok, n, name, _ in results if not ok]
    skipped = sum(1 for ok, _, _, d in results if ok and d.upper().startswith("SKIP"))
    for f in failed:
        problems.append("KTAP: not ok " + f)
    passed = len(results) - len(failed) - skipped
    summary = (f"KTAP: {len(results)} tests, {passed} passed, {len(failed)} failed, "
               f"{skipped} skipped (plan {plan if plan is not None else '?'})")
    return True, problems, summary
