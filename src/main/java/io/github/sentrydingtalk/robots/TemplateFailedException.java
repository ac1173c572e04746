package io.github.sentrydingtalk.robots;

import io.github.sentrydingtalk.dingtalk.PermanentDeliveryException;

/**
 * A message template that cannot be read or rendered: fails the same way until the template is fixed,
 * so the alert is dead-lettered at once, with a reason that names the template file and line.
 */
public class TemplateFailedException extends PermanentDeliveryException {
    public TemplateFailedException(String reason) {
        super(reason, 0, null, null);
    }
}
