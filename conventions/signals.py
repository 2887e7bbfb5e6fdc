from django.dispatch import Signal

# Sent once a membership is added (membership, by) or closed (membership, by): afas writes them in the audit
# trail, without conventions importing it.
membership_added = Signal()
# The same for many memberships added at once (memberships, by: the import of a file of users).
memberships_added = Signal()
membership_closed = Signal()
