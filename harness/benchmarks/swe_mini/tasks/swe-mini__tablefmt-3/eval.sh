#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout 3af8d469447e93ce98806116febc84a47fa88b34 -- tests/test_render.py
git apply --verbose - <<'EOF_1587e5a1a70a' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_render.py b/tests/test_render.py
index 79e6e8a..fb88dca 100644
--- a/tests/test_render.py
+++ b/tests/test_render.py
@@ -48,6 +48,26 @@ def test_floatfmt():
     assert out == "1,234,567.89\n       12.50"
 
 
+def test_intfmt_thousands_separator():
+    rows = [["Tokyo", 13960000], ["Paris", 2161000], ["Vaduz", None]]
+    out = tabulate(rows, ["city", "population"], "grid", intfmt=",", missingval="n/a")
+    assert out == "\n".join(
+        [
+            "+-------+------------+",
+            "| city  | population |",
+            "+=======+============+",
+            "| Tokyo | 13,960,000 |",
+            "+-------+------------+",
+            "| Paris |  2,161,000 |",
+            "+-------+------------+",
+            "| Vaduz |        n/a |",
+            "+-------+------------+",
+        ]
+    )
+    out = tabulate([[1234, 1234.5]], tablefmt="plain", intfmt=",", floatfmt=".1f")
+    assert out == "1,234  1234.5"
+
+
 def test_missing_values():
     rows = [["a", None], ["b", 250], [None, 1000]]
     out = tabulate(rows, ["k", "v"], "grid", missingval="?")
EOF_1587e5a1a70a
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout 3af8d469447e93ce98806116febc84a47fa88b34 -- tests/test_render.py
