package io.github.sentrydingtalk.security;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Guards the admin endpoints: off unless {@code admin.token} is set, then only
 * {@code Authorization: Bearer <admin.token>} gets in.
 */
public class AdminTokenCheck implements Processor {

    private String adminToken;

    public void setAdminToken(String adminToken) {
        this.adminToken = Secrets.isBlank(adminToken) ? null : adminToken.strip();
    }

    public boolean isEnabled() {
        return adminToken != null;
    }

    @Override
    public void process(Exchange exchange) {
        if (adminToken == null) {
            throw new AdminDisabledException();
        }
        String authorization = exchange.getMessage().getHeader("Authorization", String.class);
        if (authorization == null || !authorization.startsWith("Bearer ")
                || !Secrets.equalsConstantTime(adminToken, authorization.substring(7).strip())) {
            throw new UnauthorizedException("admin endpoints need Authorization: Bearer <admin.token>");
        }
    }
}
