#!/bin/bash
set -uxo pipefail
source /swe-env/bin/activate
cd /testbed
git checkout 386db018dc1a8c659b177be392fd4db4118ad859 -- tests/catalog/tests.py
git apply --verbose - <<'EOF_9f5a6eb5b60b' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/catalog/tests.py b/tests/catalog/tests.py
index 74b921b..a293e36 100644
--- a/tests/catalog/tests.py
+++ b/tests/catalog/tests.py
@@ -159,6 +159,7 @@ class CopyAvailabilityTests(TestCase):
         author = Author.objects.create(name="Donald Knuth")
         book = Book.objects.create(title="The TeXbook", author=author, isbn="9780201134476")
         member = Member.objects.create(name="Ada", email="ada@example.com")
+        cls.fresh = Copy.objects.create(book=book, barcode="C-001")
         cls.lent = Copy.objects.create(book=book, barcode="C-002")
         cls.returned = Copy.objects.create(book=book, barcode="C-003")
         cls.withdrawn = Copy.objects.create(book=book, barcode="C-004", withdrawn=True)
@@ -169,7 +170,7 @@ class CopyAvailabilityTests(TestCase):
         )
 
     def test_available(self):
-        self.assertQuerySetEqual(Copy.objects.available(), [self.returned])
+        self.assertQuerySetEqual(Copy.objects.available(), [self.fresh, self.returned])
 
     def test_on_loan(self):
         self.assertQuerySetEqual(Copy.objects.on_loan(), [self.lent])
EOF_9f5a6eb5b60b
: '>>>>> Start Test Output'
./tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1 catalog.tests
: '>>>>> End Test Output'
git checkout 386db018dc1a8c659b177be392fd4db4118ad859 -- tests/catalog/tests.py
