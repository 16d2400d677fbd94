#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout 0ea3a2a1d5de3def3e2cbeb79ab21e621a4819a1 -- tests/test_schedule.py
git apply --verbose - <<'EOF_c09591261fb3' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_schedule.py b/tests/test_schedule.py
index ca90e8d..2b31bd9 100644
--- a/tests/test_schedule.py
+++ b/tests/test_schedule.py
@@ -130,6 +130,16 @@ def test_extra_whitespace_between_fields():
         assert CronExpression(text).next_after(after) == datetime(2024, 5, 10, 9, 0)
 
 
+def test_weekly_monthly_and_yearly_macros():
+    after = datetime(2024, 5, 10, 13, 20)
+    assert CronExpression("@weekly").next_after(after) == datetime(2024, 5, 12, 0, 0)
+    assert CronExpression("@monthly").next_after(after) == datetime(2024, 6, 1, 0, 0)
+    assert CronExpression("@Monthly").matches(datetime(2024, 7, 1, 0, 0))
+    for macro in ("@yearly", "@annually"):
+        assert CronExpression(macro).matches(datetime(2025, 1, 1, 0, 0))
+        assert not CronExpression(macro).matches(datetime(2025, 2, 1, 0, 0))
+
+
 def test_rolls_over_into_next_year():
     expr = CronExpression("0 0 1 JAN *")
     assert expr.next_after(datetime(2024, 12, 5, 10, 0)) == datetime(2025, 1, 1, 0, 0)
EOF_c09591261fb3
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout 0ea3a2a1d5de3def3e2cbeb79ab21e621a4819a1 -- tests/test_schedule.py
