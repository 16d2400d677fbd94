#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout 6c49c6e0ce4f34a925f09adddb03327bc414c4e6 -- tests/test_spec.py
git apply --verbose - <<'EOF_074a2cd5b952' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_spec.py b/tests/test_spec.py
index 69f4324..8ae58c4 100644
--- a/tests/test_spec.py
+++ b/tests/test_spec.py
@@ -102,6 +102,21 @@ def test_from_file_records_path_and_line(tmp_path):
     assert pattern.lineno == 3
 
 
+def test_ignore_case_option():
+    spec = IgnoreSpec.from_lines(["*.JPG", "/Build/", "[a-c]x"], ignore_case=True)
+    assert spec.is_ignored("photo.jpg")
+    assert spec.is_ignored("PHOTO.Jpg")
+    assert spec.is_ignored("build/out.bin")
+    assert spec.is_ignored("Bx")
+
+
+def test_ignore_case_from_file(tmp_path):
+    ignore = tmp_path / ".gitignore"
+    ignore.write_text("Thumbs.db\n", encoding="utf-8")
+    assert IgnoreSpec.from_file(ignore, ignore_case=True).is_ignored("thumbs.DB")
+    assert not IgnoreSpec.from_file(ignore).is_ignored("thumbs.DB")
+
+
 def test_matching_is_case_sensitive_by_default():
     spec = IgnoreSpec.from_lines(["*.JPG"])
     assert spec.is_ignored("photo.JPG")
EOF_074a2cd5b952
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout 6c49c6e0ce4f34a925f09adddb03327bc414c4e6 -- tests/test_spec.py
