#!/bin/bash
set -uxo pipefail
source /swe-env/bin/activate
cd /testbed
git checkout 5c2c160adb3978d2249c97752e216e71a37c9bec -- tests/lending/tests.py
git apply --verbose - <<'EOF_ec4f26ff10e6' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/lending/tests.py b/tests/lending/tests.py
index 9b4ea36..73b34ae 100644
--- a/tests/lending/tests.py
+++ b/tests/lending/tests.py
@@ -120,6 +120,45 @@ class ReturnTests(LendingTestCase):
             services.return_copy(loan, date(2024, 3, 6))
 
 
+class RenewalTests(LendingTestCase):
+    def test_renew_extends_from_today(self):
+        loan = services.checkout(self.copy, self.bob, date(2024, 3, 1))
+        self.assertEqual(services.renew(loan, date(2024, 3, 20)), date(2024, 4, 10))
+        loan.refresh_from_db()
+        self.assertEqual(loan.due_on, date(2024, 4, 10))
+        self.assertEqual(loan.renewals, 1)
+
+    def test_renew_on_due_date(self):
+        loan = services.checkout(self.copy, self.bob, date(2024, 3, 1))
+        self.assertEqual(services.renew(loan, date(2024, 3, 22)), date(2024, 4, 12))
+
+    def test_renewed_due_date_skips_closed_days(self):
+        loan = services.checkout(self.copy, self.bob, date(2024, 3, 1))
+        due = services.renew(loan, date(2024, 3, 10), holidays={EASTER_MONDAY})
+        self.assertEqual(due, date(2024, 4, 2))
+
+    def test_renewal_limit(self):
+        """A loan can be renewed twice, not a third time."""
+        loan = services.checkout(self.copy, self.bob, date(2024, 3, 1))
+        services.renew(loan, date(2024, 3, 15))
+        services.renew(loan, date(2024, 4, 1))
+        with self.assertRaisesMessage(services.LendingError, "was already renewed 2 times"):
+            services.renew(loan, date(2024, 4, 15))
+
+    def test_overdue_loan_cannot_be_renewed(self):
+        loan = services.checkout(self.copy, self.bob, date(2024, 3, 1))
+        with self.assertRaisesMessage(services.LendingError, "is overdue and cannot be renewed"):
+            services.renew(loan, date(2024, 3, 23))
+        loan.refresh_from_db()
+        self.assertEqual((loan.due_on, loan.renewals), (date(2024, 3, 22), 0))
+
+    def test_returned_loan_cannot_be_renewed(self):
+        loan = services.checkout(self.copy, self.bob, date(2024, 3, 1))
+        services.return_copy(loan, date(2024, 3, 5))
+        with self.assertRaises(services.LendingError):
+            services.renew(loan, date(2024, 3, 6))
+
+
 class OverdueReportTests(LendingTestCase):
     def test_overdue_loans_longest_first(self):
         older = services.checkout(self.copy, self.bob, date(2024, 3, 1))
EOF_ec4f26ff10e6
: '>>>>> Start Test Output'
./tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1 lending.tests
: '>>>>> End Test Output'
git checkout 5c2c160adb3978d2249c97752e216e71a37c9bec -- tests/lending/tests.py
