#pragma once
// The user service's business counters: registrations and logins by outcome, for the overview
// dashboard (a login storm, a wave of failed logins, sign-ups stalling).
namespace fo::user::app {

// created, invalid (rejected fields), conflict (username or email taken)
void CountRegistration(const char* outcome);
// succeeded, rejected (unknown user, wrong password, inactive account)
void CountLogin(const char* outcome);

}  // namespace fo::user::app
