# Compares pytest's collected mute marks (marksdump.jsonl) with a flakegrab scan document:
# function-level node ids (params stripped) carrying a mute mark, runtime skips left out (pytest's
# collection cannot see them); then, for records whose test_id names a parameter set
# (`test_s[1-3]`), whether pytest collected that exact item with a mute mark.
import json, sys, re, collections
truth_file, scan_file = sys.argv[1], sys.argv[2]
prefix = sys.argv[3] if len(sys.argv) > 3 else ""
strip = lambda i: re.sub(r"\[.*$", "", i)
truth = set()
truth_items = set()  # full node ids, parameter ids included, of items with mute marks
collected_files = set()
for line in open(truth_file):
    d = json.loads(line)
    collected_files.add(d["nodeid"].split("::")[0])
    if d["marks"]:
        truth.add(strip(d["nodeid"]))
        truth_items.add(d["nodeid"])
scan = json.load(open(scan_file))
got = set()
got_items = set()  # records whose test_id names one parameter set: `test[1-3]`
for m in scan["markers"]:
    if m.get("scope") == "runtime" or not m.get("effective", True) or m["kind"] == "custom":
        continue
    tid = prefix + strip(m["test_id"])
    if tid.split("::")[0] in collected_files:  # modules skipped at import give pytest no items
        got.add(tid)
        if "[" in m["test_id"]:
            got_items.add(prefix + m["test_id"])
hit = truth & got
print(f"pytest: {len(truth)} tests with mute marks; flakegrab: {len(got)}; found {len(hit)} "
      f"({100*len(hit)/max(1,len(truth)):.1f}%); extra {len(got-truth)}")
# The comparison above strips parameter ids; this checks the ids themselves.
print(f"parameter ids: {len(got_items)} flakegrab items with an id, "
      f"{len(got_items & truth_items)} of them pytest items with mute marks; "
      f"not: {sorted(got_items - truth_items)[:4]}")
missed = collections.Counter(i.split("::")[0] for i in truth - got)
print("most missed files:", missed.most_common(8))
extra = sorted(got - truth)[:8]
print("extra sample:", extra)
