#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout 0f984d0326b87634e7e27b9a079e917576ff5037 -- tests/test_formats.py
git apply --verbose - <<'EOF_774988a39028' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_formats.py b/tests/test_formats.py
index 9ecf335..9a5641d 100644
--- a/tests/test_formats.py
+++ b/tests/test_formats.py
@@ -102,6 +102,18 @@ def test_markdown_columns_are_at_least_three_wide():
     assert tabulate([["x"]], ["a"], "markdown") == "| a   |\n|:----|\n| x   |"
 
 
+def test_markdown_escapes_pipes_in_cells():
+    out = tabulate([["a|b", "c"]], ["x|y", "z"], "markdown")
+    assert out == "\n".join(
+        [
+            "| x\\|y | z   |",
+            "|:-----|:----|",
+            "| a\\|b | c   |",
+        ]
+    )
+    assert tabulate([["a|b"]], tablefmt="plain") == "a|b"
+
+
 def test_custom_table_format():
     fmt = TableFormat(
         row=RowStyle("[", ";", "]"),
EOF_774988a39028
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout 0f984d0326b87634e7e27b9a079e917576ff5037 -- tests/test_formats.py
