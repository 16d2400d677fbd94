#!/bin/bash
set -uxo pipefail
source /swe-env/bin/activate
cd /testbed
git checkout 7e057afd781d4b08d19bf12fcfdaae9bc6998edc -- tests/lending/tests.py
git apply --verbose - <<'EOF_cd8a91e74e19' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/lending/tests.py b/tests/lending/tests.py
index ac70787..73b34ae 100644
--- a/tests/lending/tests.py
+++ b/tests/lending/tests.py
@@ -94,6 +94,13 @@ class CheckoutTests(LendingTestCase):
         again = services.checkout(self.copy, self.ada, date(2024, 3, 6))
         self.assertEqual(again.member, self.ada)
 
+    def test_returned_loans_do_not_count_towards_limit(self):
+        """Only the copies a member still holds count towards their loan limit."""
+        loan = services.checkout(self.copy, self.ada, date(2024, 3, 1))
+        services.return_copy(loan, date(2024, 3, 5))
+        services.checkout(self.other_copy, self.ada, date(2024, 3, 6))
+        self.assertEqual(self.ada.loans.open().count(), 1)
+
 
 class ReturnTests(LendingTestCase):
     def test_return_on_time_is_free(self):
EOF_cd8a91e74e19
: '>>>>> Start Test Output'
./tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1 lending.tests
: '>>>>> End Test Output'
git checkout 7e057afd781d4b08d19bf12fcfdaae9bc6998edc -- tests/lending/tests.py
