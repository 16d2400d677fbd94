#!/bin/bash
set -uxo pipefail
source /swe-env/bin/activate
cd /testbed
git checkout bec2d31b051ff053a2b11c3d4f8e86c852401c19 -- symcalc/tests/test_quantity.py
git apply --verbose - <<'EOF_64c931a4172c' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/symcalc/tests/test_quantity.py b/symcalc/tests/test_quantity.py
index cf7513c..a9b52bf 100644
--- a/symcalc/tests/test_quantity.py
+++ b/symcalc/tests/test_quantity.py
@@ -23,6 +23,13 @@ def test_decimal_strings_are_exact():
     assert parse_quantity("1.5 km/h").unit == km / h
 
 
+def test_floats_become_short_decimals():
+    assert Quantity(0.1, "m").value == Rational(1, 10)
+    assert Quantity(1.1, "s").value == Rational(11, 10)
+    assert Quantity(2.5).value == Rational(5, 2)
+    assert parse_quantity("0.3 m") == Quantity(0.3, "m")
+
+
 def test_non_numbers_are_rejected():
     raises(TypeError, lambda: Quantity("abc", "m"))
     raises(TypeError, lambda: Quantity(None, "m"))
EOF_64c931a4172c
: '>>>>> Start Test Output'
PYTHONWARNINGS='ignore::UserWarning,ignore::SyntaxWarning' bin/test -C --verbose symcalc/tests/test_quantity.py
: '>>>>> End Test Output'
git checkout bec2d31b051ff053a2b11c3d4f8e86c852401c19 -- symcalc/tests/test_quantity.py
