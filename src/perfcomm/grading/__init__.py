"""`perfcomm grade`: HR's grading workflow, wrapping nbgrader's own API on a standard nbgrader
course directory (source/, release/, submitted/, autograded/, feedback/, gradebook)."""
