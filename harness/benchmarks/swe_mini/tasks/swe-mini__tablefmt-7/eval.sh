#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout 7161ea761545d58519e0dd3e9ea152673399ea6b -- tests/test_render.py
git apply --verbose - <<'EOF_2400ed0a4bbe' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_render.py b/tests/test_render.py
index 101d3e0..8422308 100644
--- a/tests/test_render.py
+++ b/tests/test_render.py
@@ -198,6 +198,37 @@ def test_wide_characters_in_headers_and_wrapped_cells():
     )
 
 
+def test_overflow_truncate():
+    rows = [["The quick brown fox jumps", "ok"]]
+    out = tabulate(
+        rows, ["text", "status"], "grid", maxcolwidths=[10, None], overflow="truncate"
+    )
+    assert out == "\n".join(
+        [
+            "+------------+--------+",
+            "| text       | status |",
+            "+============+========+",
+            "| The quick\u2026 | ok     |",
+            "+------------+--------+",
+        ]
+    )
+
+
+def test_overflow_truncate_cuts_each_line_by_display_width():
+    rows = [["short"], ["two\nmultiple lines"]]
+    out = tabulate(rows, tablefmt="plain", maxcolwidths=7, overflow="truncate")
+    assert out == "short  \ntwo    \nmultip\u2026"
+    out = tabulate([["日本語の文章です"]], maxcolwidths=7, overflow="truncate")
+    assert out == "日本語\u2026"
+    with pytest.raises(ValueError):
+        tabulate(rows, maxcolwidths=7, overflow="hide")
+
+
+def test_overflow_truncate_applies_to_headers():
+    out = tabulate([["ab"]], ["a long header"], "plain", maxcolwidths=[6], overflow="truncate")
+    assert out == "a lon\u2026\nab    "
+
+
 def test_multiline_header():
     out = tabulate([["x", 1]], ["name", "unit\nprice"], "simple")
     assert out == "\n".join(["name   unit", "      price", "----  -----", "x         1"])
EOF_2400ed0a4bbe
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout 7161ea761545d58519e0dd3e9ea152673399ea6b -- tests/test_render.py
