# Compares pytest's collected mute marks (marksdump.jsonl) with a flakegrab scan document:
# function-level node ids (params stripped) carrying a mute mark, runtime skips left out (pytest's
# collection cannot see them).
import json, sys, re, collections
truth_file, scan_file = sys.argv[1], sys.argv[2]
prefix = sys.argv[3] if len(sys.argv) > 3 else ""
strip = lambda i: re.sub(r"\[.*$", "", i)
truth = set()
collected_files = set()
for line in open(truth_file):
    d = json.loads(line)
    collected_files.add(d["nodeid"].split("::")[0])
    if d["marks"]:
        truth.add(strip(d["nodeid"]))
scan = json.load(open(scan_file))
got = set()
for m in scan["markers"]:
    if m.get("scope") == "runtime" or not m.get("effective", True) or m["kind"] == "custom":
        continue
    tid = prefix + strip(m["test_id"])
    if tid.split("::")[0] in collected_files:  # modules skipped at import give pytest no items
        got.add(tid)
hit = truth & got
print(f"pytest: {len(truth)} tests with mute marks; flakegrab: {len(got)}; found {len(hit)} "
      f"({100*len(hit)/max(1,len(truth)):.1f}%); extra {len(got-truth)}")
missed = collections.Counter(i.split("::")[0] for i in truth - got)
print("most missed files:", missed.most_common(8))
extra = sorted(got - truth)[:8]
print("extra sample:", extra)
