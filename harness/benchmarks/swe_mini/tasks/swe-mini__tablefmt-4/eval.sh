#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout 21a73d274622bc9a40a99ee4db0f9e04cd47149e -- tests/test_render.py
git apply --verbose - <<'EOF_28d9baaa1237' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_render.py b/tests/test_render.py
index d23042d..fb88dca 100644
--- a/tests/test_render.py
+++ b/tests/test_render.py
@@ -142,6 +142,21 @@ def test_decimal_alignment_with_whole_floats():
     assert out == " 0.5 \n 2   \n12.75"
 
 
+def test_wide_characters_are_aligned():
+    rows = [["東京", 13960000], ["Paris", 2161000]]
+    assert tabulate(rows, ["city", "population"], "grid") == "\n".join(
+        [
+            "+-------+------------+",
+            "| city  | population |",
+            "+=======+============+",
+            "| 東京  |   13960000 |",
+            "+-------+------------+",
+            "| Paris |    2161000 |",
+            "+-------+------------+",
+        ]
+    )
+
+
 def test_maxcolwidths_wraps_text():
     rows = [["The quick brown fox jumps", 1]]
     out = tabulate(rows, ["text", "n"], "grid", maxcolwidths=[10, None])
@@ -163,6 +178,26 @@ def test_maxcolwidths_applies_to_headers():
     assert out == "long  \nheader\na     "
 
 
+def test_wide_characters_in_headers_and_wrapped_cells():
+    rows = [["日本語の文章", "\uff58"], ["abc", "x"]]
+    out = tabulate(
+        rows, ["名前", "c"], "grid", maxcolwidths=[4, None], colalign=[None, "center"]
+    )
+    assert out == "\n".join(
+        [
+            "+------+----+",
+            "| 名前 | c  |",
+            "+======+====+",
+            "| 日本 | \uff58 |",
+            "| 語の |    |",
+            "| 文章 |    |",
+            "+------+----+",
+            "| abc  | x  |",
+            "+------+----+",
+        ]
+    )
+
+
 def test_overflow_truncate():
     rows = [["The quick brown fox jumps", "ok"]]
     out = tabulate(
EOF_28d9baaa1237
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout 21a73d274622bc9a40a99ee4db0f9e04cd47149e -- tests/test_render.py
