#!/bin/bash
set -uxo pipefail
cd /testbed
git checkout 40161d9a28c7c8858b8364b7af9c467ab92026bb -- tests/test_fields.py tests/test_schedule.py
git apply --verbose - <<'EOF_a3b01ac23360' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_fields.py b/tests/test_fields.py
index 3705e35..a0c5cf8 100644
--- a/tests/test_fields.py
+++ b/tests/test_fields.py
@@ -65,6 +65,15 @@ def test_malformed_terms_are_rejected():
         parse_field("1,,2", MINUTE)
 
 
+def test_step_on_range_starts_at_range_start():
+    assert values("5-20/10", MINUTE) == [5, 15]
+    assert values("1-12/4", MONTH) == [1, 5, 9]
+
+
+def test_step_on_day_of_month_wildcard_starts_at_first_day():
+    assert values("*/10", DAY_OF_MONTH) == [1, 11, 21, 31]
+
+
 def test_day_of_week_accepts_seven():
     for text in ("7", "5-7", "FRI-7", "0,7", "*/7"):
         parse_field(text, DAY_OF_WEEK)
diff --git a/tests/test_schedule.py b/tests/test_schedule.py
index d778b4a..2b31bd9 100644
--- a/tests/test_schedule.py
+++ b/tests/test_schedule.py
@@ -178,6 +178,16 @@ def test_sunday_as_seven():
     ]
 
 
+def test_stepped_days_of_month_start_on_the_first():
+    expr = CronExpression("0 0 */10 * *")
+    assert expr.next_times(datetime(2024, 1, 1, 12, 0), 4) == [
+        datetime(2024, 1, 11),
+        datetime(2024, 1, 21),
+        datetime(2024, 1, 31),
+        datetime(2024, 2, 1),
+    ]
+
+
 def test_last_day_of_month():
     expr = CronExpression("0 23 L * *")
     assert expr.next_times(datetime(2024, 1, 15), 4) == [
EOF_a3b01ac23360
: '>>>>> Start Test Output'
python3 -m pytest -rA -p no:cacheprovider tests
: '>>>>> End Test Output'
git checkout 40161d9a28c7c8858b8364b7af9c467ab92026bb -- tests/test_fields.py tests/test_schedule.py
