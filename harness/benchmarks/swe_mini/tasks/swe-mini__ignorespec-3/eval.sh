#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout a11707c74a934201f0ca014342d455c9b7b1629e -- tests/test_pattern.py
git apply --verbose - <<'EOF_7beeb7d3bdb9' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_pattern.py b/tests/test_pattern.py
index f4388cc..b60bed3 100644
--- a/tests/test_pattern.py
+++ b/tests/test_pattern.py
@@ -66,6 +66,13 @@ def test_leading_slash_anchors_pattern():
     assert not matches("/todo.txt", "docs/todo.txt")
 
 
+def test_middle_slash_anchors_pattern():
+    assert matches("doc/frotz", "doc/frotz")
+    assert not matches("doc/frotz", "a/doc/frotz")
+    assert matches("doc/*.html", "doc/index.html")
+    assert not matches("doc/*.html", "site/doc/index.html")
+
+
 def test_star_does_not_cross_directories():
     assert matches("/*.py", "setup.py")
     assert not matches("/*.py", "src/setup.py")
EOF_7beeb7d3bdb9
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout a11707c74a934201f0ca014342d455c9b7b1629e -- tests/test_pattern.py
