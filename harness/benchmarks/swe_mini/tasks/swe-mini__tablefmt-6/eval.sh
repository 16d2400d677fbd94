#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout 01b79e38a32f910624dee0626045f72d7699c964 -- tests/test_render.py
git apply --verbose - <<'EOF_bbd67c55c64f' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_render.py b/tests/test_render.py
index afb916b..fb88dca 100644
--- a/tests/test_render.py
+++ b/tests/test_render.py
@@ -130,6 +130,18 @@ def test_decimal_alignment_of_floats():
     assert out == "  1.5  \n 22.25 \n333.125"
 
 
+def test_decimal_alignment_with_integers():
+    out = tabulate([["x", 1.5], ["y", 10], ["z", 100.25]], ["k", "v"])
+    assert out == "\n".join(
+        ["k       v", "-  ------", "x    1.5 ", "y   10   ", "z  100.25"]
+    )
+
+
+def test_decimal_alignment_with_whole_floats():
+    out = tabulate([[0.5], [2.0], [12.75]], tablefmt="plain")
+    assert out == " 0.5 \n 2   \n12.75"
+
+
 def test_wide_characters_are_aligned():
     rows = [["東京", 13960000], ["Paris", 2161000]]
     assert tabulate(rows, ["city", "population"], "grid") == "\n".join(
EOF_bbd67c55c64f
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout 01b79e38a32f910624dee0626045f72d7699c964 -- tests/test_render.py
