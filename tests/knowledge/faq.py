"""A realistic support FAQ (Markdown) and a help page (HTML) the knowledge tests upload."""

FAQ_MARKDOWN = """# Acme Support FAQ

Answers to the questions our customers ask most.

## Orders and shipping

### How long does delivery take?
Standard delivery takes 3 to 5 working days within the EU. Express delivery arrives the next
working day when you order before 14:00 CET. We ship to Norway and Switzerland in 5 to 8 days.

### Can I change my delivery address?
You can change the address until the parcel is handed to the carrier. Open the order in your
account and choose "Edit address"; after dispatch, contact the carrier with your tracking number.

## Returns and refunds

### What is your return policy?
You may return any unused item within 30 days of delivery. Print the prepaid return label from
your account, pack the item in its original box, and drop it at any post office.

### When will I get my refund?
Refunds are paid to the original payment method within 5 business days after the warehouse
receives the returned parcel. Bank transfers can take two more days to appear.

## Account and security

### I forgot my password
Use "Forgot password" on the sign-in page. We email a reset link that is valid for 60 minutes.
If the email does not arrive, check your spam folder or ask support to verify your identity.

### Do you offer two-factor authentication?
Yes. Turn on two-factor authentication under Account › Security with any TOTP authenticator app.
Recovery codes are shown once: keep them somewhere safe.

## Billing

### Which payment methods do you accept?
We accept Visa, Mastercard, American Express, PayPal and SEPA direct debit. Invoices for
business customers are payable by bank transfer within 14 days.
"""

HELP_HTML = """<!doctype html>
<html><head><title>Warranty and repairs</title>
<style>.hidden { display: none } body { font-family: serif }</style>
<script>var secretToken = "do-not-index-me"; document.write("<p>tracking pixel</p>");</script>
</head>
<body>
<nav><a href="/">Home</a></nav>
<h1>Warranty</h1>
<p>Every appliance carries a <strong>two-year warranty</strong> covering manufacturing defects.</p>
<h2>Repairs</h2>
<p>To book a repair, send the serial number and a photo of the fault to repairs@acme.example.</p>
<noscript>Enable JavaScript to chat.</noscript>
<script type="text/javascript">alert("xss")</script>
</body></html>
"""
