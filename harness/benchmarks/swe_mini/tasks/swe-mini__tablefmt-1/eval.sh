#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout 259466c5fcf493643d3a81b4fbe4e8e6cb15a4b7 -- tests/test_render.py
git apply --verbose - <<'EOF_3f9dbc565988' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_render.py b/tests/test_render.py
index fc8b801..fb88dca 100644
--- a/tests/test_render.py
+++ b/tests/test_render.py
@@ -97,6 +97,15 @@ def test_mixed_column_is_text():
     assert out == "x  1   \ny  many"
 
 
+def test_bool_columns_are_shown_as_text():
+    rows = [["ok", True], ["failed", False]]
+    out = tabulate(rows, ["job", "passed"])
+    assert out == "\n".join(
+        ["job     passed", "------  ------", "ok      True  ", "failed  False "]
+    )
+    assert tabulate([[1.5], [True]], tablefmt="plain", floatfmt=".2f") == "1.5 \nTrue"
+
+
 def test_numalign_and_stralign():
     rows = [["a", 5], ["bbb", 100]]
     out = tabulate(rows, tablefmt="plain", numalign="left", stralign="right")
EOF_3f9dbc565988
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout 259466c5fcf493643d3a81b4fbe4e8e6cb15a4b7 -- tests/test_render.py
