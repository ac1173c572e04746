package io.github.sentrydingtalk.actions;

/**
 * What a signed action link names: the issue, the action, what the confirmation page shows of the issue,
 * and when the link stops working. {@code key} identifies the link in the record of used links (a hash of
 * its signature, never the signature itself).
 *
 * @param expiresAt epoch seconds
 */
public record ActionToken(String issueId, IssueAction action, String project, String title, String level,
                          long expiresAt, String key) {
}
