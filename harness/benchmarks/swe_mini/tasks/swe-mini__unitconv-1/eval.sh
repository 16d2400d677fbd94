#!/bin/bash
set -uxo pipefail
source /swe-env/bin/activate
cd /testbed
git checkout d8e03686b5b7097ae70830140c46bf1baa31c04a -- tests/test_convert.py
git apply --verbose - <<'EOF_f6182783cf59' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_convert.py b/tests/test_convert.py
index 24dc243..09d17f9 100644
--- a/tests/test_convert.py
+++ b/tests/test_convert.py
@@ -24,6 +24,10 @@ TEMPERATURES = [
     pytest.param(-40, "°F", "°C", -40, id="-40 °F to °C"),
     pytest.param(32, "°F", "K", 273.15, id="32 °F to K"),
     pytest.param(491.67, "°R", "°C", 0, id="491.67 °R to °C"),
+    pytest.param(100, "°C", "°F", 212, id="100 °C to °F"),
+    pytest.param(-40, "°C", "°F", -40, id="-40 °C to °F"),
+    pytest.param(0, "K", "°F", -459.67, id="0 K to °F"),
+    pytest.param(50, "°F", "°F", 50, id="50 °F to °F"),
 ]
 
 
@@ -70,4 +74,6 @@ def test_quantity_arithmetic():
 
 def test_quantity_to():
     assert Quantity(5, "km").to("m") == Quantity(5000, "m")
+    assert Quantity(20, "°C").to("°F").value == pytest.approx(68)
+    assert Quantity(20, "°C").to("°F") == Quantity(20, "°C")
     assert repr(Quantity(2, "lb")) == "Quantity(2, 'lb')"
EOF_f6182783cf59
: '>>>>> Start Test Output'
tox --current-env -epy311 -v -- tests/test_convert.py
: '>>>>> End Test Output'
git checkout d8e03686b5b7097ae70830140c46bf1baa31c04a -- tests/test_convert.py
