#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout f6d2f2112b4e98b5f8697495f7a80f498af737ec -- tests/test_pattern.py
git apply --verbose - <<'EOF_c6f0f2d82a35' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_pattern.py b/tests/test_pattern.py
index 67f5ac2..b60bed3 100644
--- a/tests/test_pattern.py
+++ b/tests/test_pattern.py
@@ -122,6 +122,20 @@ def test_trailing_double_star_matches_everything_inside():
     assert not matches("abc/**", "xabc/x")
 
 
+def test_leading_double_star_matches_at_any_depth():
+    assert matches("**/foo", "foo")
+    assert matches("**/foo", "a/b/foo")
+    assert matches("**/foo/bar", "foo/bar")
+    assert matches("**/foo/bar", "x/foo/bar")
+
+
+def test_middle_double_star_matches_zero_or_more_directories():
+    assert matches("a/**/b", "a/b")
+    assert matches("a/**/b", "a/x/b")
+    assert matches("a/**/b", "a/x/y/b")
+    assert not matches("a/**/b", "a/xb")
+
+
 def test_double_star_inside_a_name_acts_like_star():
     assert matches("/foo**bar", "fooxbar")
     assert not matches("/foo**bar", "foo/bar")
EOF_c6f0f2d82a35
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout f6d2f2112b4e98b5f8697495f7a80f498af737ec -- tests/test_pattern.py
