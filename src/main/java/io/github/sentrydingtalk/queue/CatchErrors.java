package io.github.sentrydingtalk.queue;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the exchange to {@code uri} and turns an {@link Error} there (an OutOfMemoryError on a huge
 * answer, a StackOverflowError in a template) into one WARN. Camel's error
 * handlers do not catch Errors, and a scheduler consumer that meets one stops polling for good: that
 * robot would never send again. So an Error ends only this poll; the alert stays in the outbox.
 */
public class CatchErrors implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(CatchErrors.class);

    private String uri;
    private volatile ProducerTemplate template;

    public void setUri(String uri) {
        this.uri = uri;
    }

    @Override
    public void process(Exchange exchange) {
        try {
            template(exchange.getContext()).send(uri, exchange);
        } catch (Error e) {
            LOG.warn("Delivery of {} ended with {}: its alerts stay in the outbox", exchange.getMessage().getBody(), e.toString());
        }
    }

    private ProducerTemplate template(CamelContext context) {
        if (template == null) {
            synchronized (this) {
                if (template == null) {
                    template = context.createProducerTemplate();
                }
            }
        }
        return template;
    }
}
