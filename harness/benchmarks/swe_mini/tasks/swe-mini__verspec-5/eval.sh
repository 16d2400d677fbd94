#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout 1dc327ffd0129267fc4e3b77f4fde3279e7cc18b -- tests/test_constraints.py
git apply --verbose - <<'EOF_cb6aee111110' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_constraints.py b/tests/test_constraints.py
index f6966ed..80bfe4c 100644
--- a/tests/test_constraints.py
+++ b/tests/test_constraints.py
@@ -62,6 +62,19 @@ def test_tilde_ranges():
     assert allowed("~1", versions) == ["1.2.2", "1.2.3", "1.2.9", "1.3.0", "1.9.0"]
 
 
+def test_less_equal_partial_includes_whole_series():
+    versions = ["1.3.9", "1.4.0", "1.4.2", "1.5.0", "2.0.0"]
+    assert allowed("<=1.4", versions) == ["1.3.9", "1.4.0", "1.4.2"]
+    assert allowed("<=1", versions) == ["1.3.9", "1.4.0", "1.4.2", "1.5.0"]
+    assert allowed("<=1.4.x", versions) == ["1.3.9", "1.4.0", "1.4.2"]
+
+
+def test_greater_than_partial_excludes_whole_series():
+    versions = ["1.4.0", "1.4.2", "1.5.0", "2.0.0"]
+    assert allowed(">1.4", versions) == ["1.5.0", "2.0.0"]
+    assert allowed(">1", versions) == ["2.0.0"]
+
+
 def test_union():
     c = Constraint("~1.4.2 || ^3 || 5.0.0")
     assert [v for v in ["1.4.1", "1.4.5", "2.0.0", "3.7.1", "4.0.0", "5.0.0"] if c.allows(v)] == [
@@ -106,6 +119,13 @@ def test_hyphen_ranges():
         Constraint(">=1.2.3 - 2.3.4")
 
 
+def test_hyphen_ranges_with_partial_versions():
+    versions = ["1.1.9", "1.2.0", "2.3.9", "2.4.0", "2.9.0", "3.0.0"]
+    assert allowed("1.2 - 2.3", versions) == ["1.2.0", "2.3.9"]
+    assert allowed("1.2 - 2", versions) == ["1.2.0", "2.3.9", "2.4.0", "2.9.0"]
+    assert allowed("* - 2.3.9", versions) == ["1.1.9", "1.2.0", "2.3.9"]
+
+
 def test_invalid_constraints():
     for text in ["", "   ", "^", ">=", "1.2.3.4", ">>1.0", "~>1.0", "1.0 ||", "<*", "!=1.2",
                  "^1.2 foo", ">=1.0.0-rc..1"]:
EOF_cb6aee111110
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout 1dc327ffd0129267fc4e3b77f4fde3279e7cc18b -- tests/test_constraints.py
