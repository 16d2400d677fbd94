#!/bin/bash
set -uxo pipefail
source /swe-env/bin/activate
cd /testbed
git checkout 99319a05c7f5c4788281897d59cdf741627b964f -- tests/test_parse.py tests/test_units.py
git apply --verbose - <<'EOF_11e674081f2a' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_parse.py b/tests/test_parse.py
index 7158c88..14b6393 100644
--- a/tests/test_parse.py
+++ b/tests/test_parse.py
@@ -10,6 +10,11 @@ PARSED = {
     "-3 ft 4 in": Quantity(-40, "in"),
     "1 mi 100 yd": Quantity(1860, "yd"),
     "  7 feet ": Quantity(7, "ft"),
+    "5'11\"": Quantity(71, "in"),
+    "6' 2\"": Quantity(74, "in"),
+    "3′ 4″": Quantity(40, "in"),
+    "-2' 6\"": Quantity(-30, "in"),
+    "12'": Quantity(12, "ft"),
 }
 
 
@@ -35,6 +40,7 @@ BAD = {
     "1 kg 3 m": "cannot combine kg and m",
     "4 in 3 ft": "must get smaller",
     "3 ft -4 in": "only the first part",
+    "5\" 11'": "must get smaller",
 }
 
 
@@ -46,6 +52,7 @@ def test_parse_errors(text):
 
 def test_parse_convert():
     assert parse_convert("6 ft", "m") == pytest.approx(1.8288)
+    assert parse_convert("5'10\"", "cm") == pytest.approx(177.8)
     assert parse_convert("5 ft 10 in", "cm") == pytest.approx(177.8)
 
 
diff --git a/tests/test_units.py b/tests/test_units.py
index ac4af12..09d42cc 100644
--- a/tests/test_units.py
+++ b/tests/test_units.py
@@ -20,6 +20,11 @@ def test_celsius_aliases(alias):
     assert get_unit(alias).symbol == "°C"
 
 
+@pytest.mark.parametrize("symbol, expected", [("'", "ft"), ("′", "ft"), ('"', "in"), ("″", "in")])
+def test_prime_symbols(symbol, expected):
+    assert get_unit(symbol).symbol == expected
+
+
 def test_unknown_unit():
     with pytest.raises(UnitError, match="unknown unit 'furlong'"):
         get_unit("furlong")
EOF_11e674081f2a
: '>>>>> Start Test Output'
tox --current-env -epy311 -v -- tests/test_parse.py tests/test_units.py
: '>>>>> End Test Output'
git checkout 99319a05c7f5c4788281897d59cdf741627b964f -- tests/test_parse.py tests/test_units.py
