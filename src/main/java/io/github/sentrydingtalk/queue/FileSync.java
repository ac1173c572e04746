package io.github.sentrydingtalk.queue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Makes the file the file producer just wrote durable: fsyncs the file, then its folder (for the
 * rename from the temp name). Camel 4.17's file producer never calls force(), whatever
 * {@code forceWrites} says, and the 202 promises the alert survives a power cut, not just kill -9.
 */
public class FileSync implements Processor {

    @Override
    public void process(Exchange exchange) throws IOException {
        String produced = exchange.getMessage().getHeader(Exchange.FILE_NAME_PRODUCED, String.class);
        if (produced == null) {
            throw new IllegalStateException("no file was written: " + Exchange.FILE_NAME_PRODUCED + " is not set");
        }
        Path file = Path.of(produced);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try (FileChannel folder = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            folder.force(true);
        }
    }
}
