"""Events, registration with capacity and waiting list, check-in, iCal, B2B meetings."""
