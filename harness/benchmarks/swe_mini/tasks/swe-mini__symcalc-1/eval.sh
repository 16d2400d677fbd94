#!/bin/bash
set -uxo pipefail
source /swe-env/bin/activate
cd /testbed
git checkout 767f28476f9f17ec5d40ba7b2ced007fed2297b9 -- symcalc/tests/test_units.py
git apply --verbose - <<'EOF_2b22bb145df7' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/symcalc/tests/test_units.py b/symcalc/tests/test_units.py
index a36069e..5cfea8d 100644
--- a/symcalc/tests/test_units.py
+++ b/symcalc/tests/test_units.py
@@ -79,6 +79,13 @@ def test_imperial_lengths():
     assert base("lb") == (Rational(45359237, 10**8), kg)
 
 
+def test_names_that_look_prefixed():
+    assert base("min") == (60, s)
+    assert base("h/min") == (60, 1)
+    assert dimension("cd") == luminosity
+    assert dimension("mcd") == luminosity
+
+
 def test_dimension_names():
     assert dimension("km/h") == length / time
     assert dimension("Pa") == mass / (length * time**2)
EOF_2b22bb145df7
: '>>>>> Start Test Output'
PYTHONWARNINGS='ignore::UserWarning,ignore::SyntaxWarning' bin/test -C --verbose symcalc/tests/test_units.py
: '>>>>> End Test Output'
git checkout 767f28476f9f17ec5d40ba7b2ced007fed2297b9 -- symcalc/tests/test_units.py
