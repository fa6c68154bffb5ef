"""The competency catalogue (PermenPANRB 38/2017): blueprint `competencies`."""
