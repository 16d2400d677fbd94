#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout 336ffb941678357a753f5b196a28ac15bd404c15 -- tests/test_formats.py
git apply --verbose - <<'EOF_7d3776e7c4f7' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_formats.py b/tests/test_formats.py
index 2f0c132..9a5641d 100644
--- a/tests/test_formats.py
+++ b/tests/test_formats.py
@@ -85,6 +85,19 @@ def test_markdown_alignment_colons():
     )
 
 
+def test_markdown_numeric_columns_are_right_aligned():
+    rows = [["apple", 3, 0.5], ["kiwi", 12, 1.25]]
+    out = tabulate(rows, ["fruit", "qty", "price"], "markdown")
+    assert out == "\n".join(
+        [
+            "| fruit | qty | price |",
+            "|:------|----:|------:|",
+            "| apple |   3 |  0.5  |",
+            "| kiwi  |  12 |  1.25 |",
+        ]
+    )
+
+
 def test_markdown_columns_are_at_least_three_wide():
     assert tabulate([["x"]], ["a"], "markdown") == "| a   |\n|:----|\n| x   |"
 
EOF_7d3776e7c4f7
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout 336ffb941678357a753f5b196a28ac15bd404c15 -- tests/test_formats.py
