package io.github.sentrydingtalk.cluster;

/**
 * The names of the service's Kafka topics (clustered mode, {@code notify.kafka.bootstrap-servers}), in
 * one place for the accepting and the delivering side: {@code <prefix>.robot.<robot>}, one per robot,
 * {@code <prefix>.seen-deliveries}, {@code <prefix>.silences} and {@code <prefix>.dead-letters}.
 */
public final class KafkaTopics {

    private KafkaTopics() {
    }

    /**
     * The robot's backlog topic. Kafka takes only {@code [A-Za-z0-9._-]} in a topic name, so the robot's
     * folder name ({@code Robot.directory()}) is used as it is when it is plain ASCII (ops, db-team,
     * a_2Fb), and any other character (a Chinese name) becomes {@code _XX} per UTF-8 byte: one to one, as
     * for folders.
     */
    public static String robotTopic(String prefix, String robotDirectory) {
        StringBuilder topic = new StringBuilder(prefix).append(".robot.");
        robotDirectory.codePoints().forEach(cp -> {
            if (cp == '-' || cp == '_' || (cp < 128 && Character.isLetterOrDigit(cp))) {
                topic.appendCodePoint(cp);
            } else {
                for (byte b : new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    topic.append('_').append(String.format("%02X", b & 0xFF));
                }
            }
        });
        return topic.toString();
    }

    public static String seenDeliveriesTopic(String prefix) {
        return prefix + ".seen-deliveries";
    }

    public static String silencesTopic(String prefix) {
        return prefix + ".silences";
    }

    public static String deadLettersTopic(String prefix) {
        return prefix + ".dead-letters";
    }
}
