#!/bin/bash
set -uxo pipefail
source /swe-env/bin/activate
cd /testbed
git checkout 676cdaf27090f75e99b9cd392f87072c6b4f4b81 -- symcalc/tests/test_quantity.py
git apply --verbose - <<'EOF_2dbff92dce07' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/symcalc/tests/test_quantity.py b/symcalc/tests/test_quantity.py
index 17b012d..a9b52bf 100644
--- a/symcalc/tests/test_quantity.py
+++ b/symcalc/tests/test_quantity.py
@@ -77,6 +77,12 @@ def test_from_fahrenheit():
     assert convert(-40, "degF", "degC") == -40
 
 
+def test_to_fahrenheit():
+    assert convert(100, "degC", "degF") == 212
+    assert convert(-40, "degC", "degF") == -40
+    assert convert(0, "K", "degF") == Rational(-45967, 100)
+
+
 def test_to_base_units():
     speed = Quantity(1, "km/h").to_base()
     assert (speed.value, speed.unit) == (Rational(5, 18), m / s)
EOF_2dbff92dce07
: '>>>>> Start Test Output'
PYTHONWARNINGS='ignore::UserWarning,ignore::SyntaxWarning' bin/test -C --verbose symcalc/tests/test_quantity.py
: '>>>>> End Test Output'
git checkout 676cdaf27090f75e99b9cd392f87072c6b4f4b81 -- symcalc/tests/test_quantity.py
