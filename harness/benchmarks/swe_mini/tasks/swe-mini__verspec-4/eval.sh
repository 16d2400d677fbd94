#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout 07120e8004190f00ab59aedaaa9c99d595b5443d -- tests/test_constraints.py tests/test_version.py
git apply --verbose - <<'EOF_177e289249f8' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_constraints.py b/tests/test_constraints.py
index 0de5774..80bfe4c 100644
--- a/tests/test_constraints.py
+++ b/tests/test_constraints.py
@@ -142,6 +142,12 @@ def test_constraint_rejects_leading_zeros():
     assert Constraint("^0.10").allows("0.10.3")
 
 
+def test_constraint_accepts_v_prefix():
+    assert Constraint("^v1.4").allows("1.9.0")
+    assert Constraint(">=v1.0.0, <v2").allows("v1.4.2")
+    assert not Constraint("=v1.4.0").allows("v1.4.1")
+
+
 def test_str_is_normalised():
     assert str(Constraint("~1.4.2 || 2.x")) == ">=1.4.2 <1.5.0-0 || >=2.0.0 <3.0.0-0"
     assert str(Constraint(">= 1.0, < 2.0")) == ">=1.0.0 <2.0.0"
diff --git a/tests/test_version.py b/tests/test_version.py
index 80acb92..da667ad 100644
--- a/tests/test_version.py
+++ b/tests/test_version.py
@@ -39,6 +39,13 @@ def test_parse_rejects_leading_zeros():
     assert str(Version.parse("1.0.0-0a.01a")) == "1.0.0-0a.01a"
 
 
+def test_parse_accepts_v_prefix():
+    assert Version.parse("v1.4.0") == Version(1, 4, 0)
+    assert str(Version.parse("v2.0.0-rc.1+b7")) == "2.0.0-rc.1+b7"
+    with pytest.raises(InvalidVersion):
+        Version.parse("vv1.4.0")
+
+
 def test_constructor_validates_fields():
     assert str(Version(1, 2, 3, "rc.1", ("build", 5))) == "1.2.3-rc.1+build.5"
     assert Version(1, 2, 3, ("rc", 1)) == Version.parse("1.2.3-rc.1")
EOF_177e289249f8
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout 07120e8004190f00ab59aedaaa9c99d595b5443d -- tests/test_constraints.py tests/test_version.py
