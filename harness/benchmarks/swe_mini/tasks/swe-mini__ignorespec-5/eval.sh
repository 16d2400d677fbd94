#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout 14b30e0ac74fe7407c71f31d4028cb323decdd89 -- tests/test_spec.py
git apply --verbose - <<'EOF_e7ba57c1e39a' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_spec.py b/tests/test_spec.py
index 468b890..8ae58c4 100644
--- a/tests/test_spec.py
+++ b/tests/test_spec.py
@@ -84,6 +84,24 @@ def test_filter_keeps_order_of_non_ignored_paths():
     assert list(spec.filter(paths)) == ["main.c", "lib/util.c"]
 
 
+def test_match_reports_source_line():
+    spec = IgnoreSpec.from_lines(
+        "# objects\n*.o\n\n!keep.o\n", source="src/.gitignore"
+    )
+    pattern = spec.match("lib/keep.o")
+    assert pattern.negated
+    assert (pattern.source, pattern.lineno) == ("src/.gitignore", 4)
+    assert spec.match("a.o").lineno == 2
+
+
+def test_from_file_records_path_and_line(tmp_path):
+    ignore = tmp_path / ".gitignore"
+    ignore.write_text("\n# nothing\n*.swp\n", encoding="utf-8")
+    pattern = IgnoreSpec.from_file(ignore).match(".main.c.swp")
+    assert pattern.source == str(ignore)
+    assert pattern.lineno == 3
+
+
 def test_ignore_case_option():
     spec = IgnoreSpec.from_lines(["*.JPG", "/Build/", "[a-c]x"], ignore_case=True)
     assert spec.is_ignored("photo.jpg")
EOF_e7ba57c1e39a
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout 14b30e0ac74fe7407c71f31d4028cb323decdd89 -- tests/test_spec.py
