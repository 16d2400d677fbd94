#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout 24ca1f10e66fa36bd8159ac688b3e13356974e3b -- tests/test_constraints.py tests/test_version.py
git apply --verbose - <<'EOF_7d7a705fd6dd' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_constraints.py b/tests/test_constraints.py
index 16128c3..80bfe4c 100644
--- a/tests/test_constraints.py
+++ b/tests/test_constraints.py
@@ -135,6 +135,13 @@ def test_invalid_constraints():
         Constraint(None)
 
 
+def test_constraint_rejects_leading_zeros():
+    for text in ["^01.2", "~1.02", ">=1.2.03", "=1.0.0-rc.01", "00.x"]:
+        with pytest.raises(InvalidConstraint):
+            Constraint(text)
+    assert Constraint("^0.10").allows("0.10.3")
+
+
 def test_constraint_accepts_v_prefix():
     assert Constraint("^v1.4").allows("1.9.0")
     assert Constraint(">=v1.0.0, <v2").allows("v1.4.2")
diff --git a/tests/test_version.py b/tests/test_version.py
index 83e3d58..da667ad 100644
--- a/tests/test_version.py
+++ b/tests/test_version.py
@@ -31,6 +31,14 @@ def test_parse_rejects_malformed():
         Version.parse(123)
 
 
+def test_parse_rejects_leading_zeros():
+    for text in ["01.2.3", "1.02.3", "1.2.03", "1.2.3-rc.01", "00.0.0"]:
+        with pytest.raises(InvalidVersion):
+            Version.parse(text)
+    assert str(Version.parse("0.10.0-rc.0+build.007")) == "0.10.0-rc.0+build.007"
+    assert str(Version.parse("1.0.0-0a.01a")) == "1.0.0-0a.01a"
+
+
 def test_parse_accepts_v_prefix():
     assert Version.parse("v1.4.0") == Version(1, 4, 0)
     assert str(Version.parse("v2.0.0-rc.1+b7")) == "2.0.0-rc.1+b7"
EOF_7d7a705fd6dd
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout 24ca1f10e66fa36bd8159ac688b3e13356974e3b -- tests/test_constraints.py tests/test_version.py
