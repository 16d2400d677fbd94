#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout 83cf7cd4600febdc60ba0cdb206ada75575c98c5 -- tests/test_pattern.py
git apply --verbose - <<'EOF_79e60503de32' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_pattern.py b/tests/test_pattern.py
index c9c8b60..b60bed3 100644
--- a/tests/test_pattern.py
+++ b/tests/test_pattern.py
@@ -85,6 +85,12 @@ def test_question_mark_matches_one_character():
     assert not matches("file?.txt", "file12.txt")
 
 
+def test_question_mark_does_not_match_slash():
+    assert not matches("a?b", "a/b")
+    assert not matches("/src?main.c", "src/main.c")
+    assert matches("/src?main.c", "src_main.c")
+
+
 def test_character_class_with_range():
     assert matches("[a-c].txt", "b.txt")
     assert not matches("[a-c].txt", "d.txt")
EOF_79e60503de32
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout 83cf7cd4600febdc60ba0cdb206ada75575c98c5 -- tests/test_pattern.py
