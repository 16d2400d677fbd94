#!/bin/bash
set -uxo pipefail
source /swe-env/bin/activate
cd /testbed
git checkout 1f8fc8fba4c8dce53ed98f024848a6395b04c4b3 -- symcalc/tests/test_format.py symcalc/tests/test_units.py
git apply --verbose - <<'EOF_6c922ef1a5bb' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/symcalc/tests/test_format.py b/symcalc/tests/test_format.py
index 185472e..b92c2d0 100644
--- a/symcalc/tests/test_format.py
+++ b/symcalc/tests/test_format.py
@@ -67,6 +67,20 @@ def test_round_trip_through_text():
         assert parse_quantity(str(quantity)) == quantity
 
 
+def test_unicode_unit_text():
+    assert unit_text("kg*m^2/s^2", unicode=True) == "kg·m²/s²"
+    assert unit_text("W/(m*K)", unicode=True) == "W/(K·m)"
+    assert unit_text("1/s^10", unicode=True) == "1/s¹⁰"
+    assert unit_text("m^(1/2)", unicode=True) == "m^(1/2)"
+
+
+def test_unicode_quantity_text():
+    accel = parse_quantity("9.81 m/s^2")
+    assert format_quantity(accel, unicode=True) == "981/100 m/s²"
+    assert format_quantity(accel, 1, unicode=True) == "9.8 m/s²"
+    assert parse_quantity(format_quantity(accel, unicode=True)) == accel
+
+
 def test_numpy_integers_are_accepted():
     numpy = import_module("numpy")
     if not numpy:
diff --git a/symcalc/tests/test_units.py b/symcalc/tests/test_units.py
index 51c4e31..5cfea8d 100644
--- a/symcalc/tests/test_units.py
+++ b/symcalc/tests/test_units.py
@@ -108,6 +108,13 @@ def test_define_new_unit():
     raises(UnitError, lambda: define("span", "ell"))
 
 
+def test_parse_unicode_superscripts():
+    assert parse_unit("m/s²") == m / s**2
+    assert parse_unit("kg·m²/s²") == kg * m**2 / s**2
+    assert parse_unit("m⁻¹") == 1 / m
+    assert base("µm³") == (Rational(1, 10**18), m**3)
+
+
 def test_units_cancel_and_combine():
     assert parse_unit("m*m/m") == m
     assert parse_unit("J/J") == 1
EOF_6c922ef1a5bb
: '>>>>> Start Test Output'
PYTHONWARNINGS='ignore::UserWarning,ignore::SyntaxWarning' bin/test -C --verbose symcalc/tests/test_format.py symcalc/tests/test_units.py
: '>>>>> End Test Output'
git checkout 1f8fc8fba4c8dce53ed98f024848a6395b04c4b3 -- symcalc/tests/test_format.py symcalc/tests/test_units.py
