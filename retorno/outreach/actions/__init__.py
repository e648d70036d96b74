"""Every change to outreach, by area: the public site's content (content), what visitors send
(public: requests to be contacted, organisations' referrals, sign-ups and their cancellation),
the campaign and its sessions (sessions), and the triage of leads (leads). Each action runs in
one transaction and records its audit event."""
